// Two-sample Kolmogorov-Smirnov test, two-sided, as scipy.stats.ks_2samp(method="auto") computes it:
// the exact p-value when both samples have at most 10,000 values, else the Kolmogorov distribution
// kstwo.sf(D, round(n·m/(n+m))) (scipy.stats._ksstats). Samples may be weighted by integer counts,
// which is how a histogram enters: each bin centre repeated by its count.
import { ldexp, roundHalfEven } from "./special";

export const KS_MAX_EXACT_N = 10_000;

export type KsResult = { statistic: number; pValue: number; method: "exact" | "asymp"; n1: number; n2: number };

/** Distinct sorted values and their counts. */
export function tally(values: readonly number[]): { points: number[]; counts: number[] } {
  const sorted = [...values].sort((a, b) => a - b);
  const points: number[] = [];
  const counts: number[] = [];
  for (const v of sorted) {
    if (points.length && points[points.length - 1] === v) counts[counts.length - 1]++;
    else {
      points.push(v);
      counts.push(1);
    }
  }
  return { points, counts };
}

/** Raw samples. */
export function ks2samp(a: readonly number[], b: readonly number[]): KsResult {
  if (!a.length || !b.length) throw new Error("ks2samp needs two non-empty samples");
  const all = tally([...a, ...b]).points;
  const ta = tally(a);
  const tb = tally(b);
  const at = (t: { points: number[]; counts: number[] }) => {
    const m = new Map(t.points.map((p, i) => [p, t.counts[i]]));
    return all.map((p) => m.get(p) ?? 0);
  };
  return ks2sampCounts(all, at(ta), at(tb));
}

/**
 * Counts of two samples at shared sorted distinct points (e.g. histogram bin centres).
 * Equivalent to ks2samp on the expanded samples.
 */
export function ks2sampCounts(points: readonly number[], countsA: readonly number[], countsB: readonly number[]): KsResult {
  const n1 = countsA.reduce((s, c) => s + c, 0);
  const n2 = countsB.reduce((s, c) => s + c, 0);
  if (n1 <= 0 || n2 <= 0) throw new Error("ks2samp needs two non-empty samples");
  if (points.length !== countsA.length || points.length !== countsB.length) throw new Error("points and counts differ in length");
  let c1 = 0;
  let c2 = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  for (let i = 0; i < points.length; i++) {
    c1 += countsA[i];
    c2 += countsB[i];
    const diff = c1 / n1 - c2 / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const minClipped = Math.min(Math.max(-minS, 0), 1);
  let d = minClipped > maxS ? minClipped : maxS;
  const g = gcd(n1, n2);
  let method: KsResult["method"] = Math.max(n1, n2) <= KS_MAX_EXACT_N ? "exact" : "asymp";
  let p = Number.NaN;
  if (method === "exact") {
    const exact = attemptExact(n1, n2, g, d);
    d = exact.d;
    if (exact.ok) p = exact.p;
    else method = "asymp";
  }
  if (method === "asymp") {
    const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
    const en = (m * n) / (m + n);
    p = kolmogornSf(roundHalfEven(en), d);
  }
  return { statistic: d, pValue: clip01(p), method, n1, n2 };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
const clip01 = (p: number) => (p < 0 ? 0 : p > 1 ? 1 : p);

function attemptExact(n1: number, n2: number, g: number, d0: number): { ok: boolean; d: number; p: number } {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d0 * lcm);
  const d = h / lcm;
  if (h === 0) return { ok: true, d, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  if (!Number.isFinite(p) || !(p >= 0 && p <= 1)) return { ok: false, d, p };
  return { ok: true, d, p };
}

/** Pr(D_{n,n} >= h/n), Horner-like to avoid cancellation (scipy _compute_prob_outside_square). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
    k--;
  }
  return 2 * P;
}

/**
 * 1 - (share of lattice paths staying strictly inside |x/m - y/n| < h/lcm), computed directly
 * (Hodges' inside method with Viehmann's 1-p recursion; scipy _compute_outer_prob_inside_method).
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    minj = Math.min(minj, n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) for (let t = maxj - minj; t < Math.min(maxj - minj + (lastlen - curlen), lenA); t++) A[t] = 1;
  }
  return A[maxj - minj - 1];
}

// ---- The one-sample two-sided Kolmogorov distribution, survival function (scipy.stats._ksstats) ----

const E128 = 128;
const EP128 = 2 ** 128;
const EM128 = 2 ** -128;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
const SQRT3 = Math.sqrt(3);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
  -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

function polyval(coeffs: readonly number[], x: number): number {
  let r = 0;
  for (const c of coeffs) r = r * x + c;
  return r;
}

function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * polyval(STIRLING, rn / n);
}

/** Pr(D_n <= d) by the Durbin matrix (Marsaglia-Tsang-Wang). */
function kolmognDMTW(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    v[j - 1] = 1 - h ** j;
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] *= fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let H: Float64Array[] = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r][i] = w[r - (i - 1)];
  for (let r = 0; r < m; r++) H[r][0] = v[r];
  for (let c = 0; c < m; c++) H[m - 1][c] = v[m - 1 - c];
  let Hpwr: Float64Array[] = Array.from({ length: m }, (_, i) => {
    const row = new Float64Array(m);
    row[i] = 1;
    return row;
  });
  let nn = n;
  let expnt = 0;
  let Hexpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      Hpwr = matmul(Hpwr, H);
      expnt += Hexpnt;
    }
    H = matmul(H, H);
    Hexpnt *= 2;
    if (Math.abs(H[k - 1][k - 1]) > EP128) {
      for (const row of H) for (let c = 0; c < m; c++) row[c] /= EP128;
      Hexpnt += E128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = Hpwr[k - 1][k - 1];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= EP128;
      expnt -= E128;
    }
  }
  if (expnt !== 0) p = ldexp(p, expnt);
  return clip01(p);
}

function matmul(a: Float64Array[], b: Float64Array[]): Float64Array[] {
  const m = a.length;
  const out = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 0; i < m; i++) {
    const ai = a[i];
    const oi = out[i];
    for (let k = 0; k < m; k++) {
      const aik = ai[k];
      if (aik === 0) continue;
      const bk = b[k];
      for (let j = 0; j < m; j++) oi[j] += aik * bk[j];
    }
  }
  return out;
}

function pomeranzJ1J2(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pr(D_n <= x) by the Pomeranz recursion. */
function kolmognPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  let expnt = 0;
  const [gOverN, twoGOverN, oneMinusTwoGOverN] = [g / n, (2 * g) / n, (1 - 2 * g) / n];
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1] * gOverN) / m;
    twogpower[m] = (twogpower[m - 1] * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1] * oneMinusTwoGOverN) / m;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let [j1, j2] = pomeranzJ1J2(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // np.convolve(V0[k1-V0s : k1-V0s+ln2], pwrs[:ln2]), slices clipped like Python's.
      const start = k1 - V0s;
      const a = V0.subarray(start, Math.min(start + ln2, npwrs));
      const b = pwrs.subarray(0, Math.min(ln2, npwrs));
      const conv = new Float64Array(a.length + b.length - 1);
      for (let p = 0; p < a.length; p++) for (let q = 0; q < b.length; q++) conv[p + q] += a[p] * b[q];
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      for (let c = 0; c < convLen && convStart + c < conv.length; c++) V1[c] = conv[convStart + c];
      let mx = -Infinity;
      for (const val of V1) if (val > mx) mx = val;
      if (mx > 0 && mx < EM128) {
        for (let c = 0; c < npwrs; c++) V1[c] *= EP128;
        expnt -= E128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > EP128) {
      ans *= EM128;
      expnt += E128;
    }
    ans *= m;
  }
  if (expnt !== 0) ans = ldexp(ans, expnt);
  return clip01(ans);
}

/** Pelz-Good approximation to Pr(D_n <= x). */
function kolmognPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const [z2, z3, z4, z6] = [z ** 2, z ** 3, z ** 4, z ** 6];
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const [m2, m4, m6] = [m ** 2, m ** 4, m ** 6];
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qpower + coeffs[i];
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / div[i];
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = SQRT3 * z;
  for (let k = maxk; k > 0; k--) {
    const ksq = k * k;
    const qp = q ** ksq;
    k2extra += ksq * qp;
    const kspi = Math.PI * k;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp;
  }
  K[2] += (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  for (let i = 0; i < 4; i++) K[i] /= n ** (i / 2);
  return K[0] + K[1] + K[2] + K[3];
}

/** One-sided Smirnov survival Pr(D+_n >= x), Birnbaum-Tingey sum (positive terms) in log space. */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const nn = Math.floor(n * (1 - x));
  let p = 0;
  let logC = 0; // log C(n, v)
  const logX = Math.log(x);
  for (let v = 0; v <= nn; v++) {
    if (v > 0) logC += Math.log(n - v + 1) - Math.log(v);
    const evn = x + v / n;
    const rest = 1 - evn;
    if (n - v > 0 && rest <= 0) continue;
    const t = logC + logX + (v - 1) * Math.log(evn) + (n - v > 0 ? (n - v) * Math.log(rest) : 0);
    p += Math.exp(t);
  }
  return clip01(p);
}

/** scipy.stats.kstwo.sf(x, n): survival of the two-sided one-sample statistic D_n. */
export function kolmogornSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip01(1 - kolmognDMTW(n, x));
    if (nx2 <= 4) return clip01(1 - kolmognPomeranz(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? kolmognDMTW(n, x) : kolmognPelzGood(n, x);
  return clip01(1 - cdf);
}
