/**
 * Data for a blob: bytes, a `Blob` or `File`, a path to a file (Node), or a stream of
 * bytes (a Node `Readable`, or any async iterable of `Uint8Array`).
 */
export type BlobSource = Uint8Array | ArrayBuffer | Blob | string | AsyncIterable<Uint8Array>

/** A blob's digest as Ollama names it: `sha256:` and 64 hex digits. */
export const BLOB_DIGEST = /^sha256[:-][0-9a-fA-F]{64}$/

/** Uploads one file of a create request; resolves with its digest. */
export type UploadFile = (source: BlobSource, name: string, field: string) => Promise<string>

/**
 * `create`'s `files`, `adapters` and `draft_files` map file names to blob digests. ollixir also
 * takes bytes, paths and streams there: each is uploaded as a blob (skipped when the
 * server has it) and replaced by its digest. One file at a time, in order, so
 * progress reads like the Ollama CLI's; a digest passes as it is.
 */
export async function uploadCreateFiles(body: Record<string, unknown>, upload: UploadFile): Promise<void> {
  for (const key of ['files', 'adapters', 'draft_files'] as const) {
    const files = body[key]
    if (typeof files !== 'object' || files === null) continue
    const digests: Record<string, string> = {}
    for (const [name, source] of Object.entries(files as Record<string, BlobSource>)) {
      digests[name] = typeof source === 'string' && BLOB_DIGEST.test(source) ? source : await upload(source, name, `${key}[${JSON.stringify(name)}]`)
    }
    body[key] = digests
  }
}
