import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg p-10 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-muted">There is nothing at this address, or you cannot see it.</p>
      <Link href="/" className="mt-4 inline-block text-link underline">
        Go home
      </Link>
    </main>
  );
}
