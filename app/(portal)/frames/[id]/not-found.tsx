import Link from "next/link";

export default function FrameNotFound() {
  return (
    <div className="mx-auto max-w-lg py-10 text-center">
      <h1 className="text-xl font-semibold">Frame not found</h1>
      <p className="mt-2 text-sm text-muted">There is no such frame in the library; it may have been deleted.</p>
      <Link href="/frames" className="mt-4 inline-block text-link underline">
        Back to frames
      </Link>
    </div>
  );
}
