import Link from "next/link";

export default function ModelNotFound() {
  return (
    <div className="mx-auto max-w-lg py-10 text-center">
      <h1 className="text-xl font-semibold">Model or version not found</h1>
      <p className="mt-2 text-sm text-muted">There is no such model or version in the registry, or its name is misspelt.</p>
      <Link href="/models" className="mt-4 inline-block text-link underline">
        Back to models
      </Link>
    </div>
  );
}
