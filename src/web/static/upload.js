// Uploads one image to POST /api/files as a multipart form and resolves to the server's
// answer ({id, url, size, contentType}); rejects with the server's human sentence. The
// server decides the type from the bytes, so the file's name and type here are only hints.

export const ACCEPTED_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export async function uploadImage(file) {
  const form = new FormData();
  form.append('file', file, file.name || 'image');
  let response;
  try {
    response = await fetch('/api/files', { method: 'POST', body: form });
  } catch {
    throw new Error('The upload failed: the server could not be reached.');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // an answer without JSON: described below by its status
  }
  if (!response.ok) {
    throw new Error(body?.message || `The upload failed (HTTP ${response.status}).`);
  }
  if (typeof body?.url !== 'string' || !body.url.startsWith('/files/')) {
    throw new Error('The upload failed: the server answered something unexpected.');
  }
  return body;
}

// The first image among a paste's or a drop's files, or null.
export function imageFrom(dataTransfer) {
  for (const file of dataTransfer?.files ?? []) {
    if (file.type.startsWith('image/')) return file;
  }
  return null;
}
