// Calls to the JSON API. Errors carry the server's message ({"error": ...}).
export class ApiError extends Error {}

function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value === null || value === undefined || value === "") continue;
    for (const v of Array.isArray(value) ? value : [value]) if (v !== "") q.append(key, v);
  }
  const text = q.toString();
  return text ? "?" + text : "";
}

async function call(method, path, params, init = {}) {
  const response = await fetch("/api" + path + query(params), { method, ...init });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(body.error || `${response.status} ${response.statusText}`);
  return body;
}

export const get = (path, params) => call("GET", path, params);
export const post = (path, params, init) => call("POST", path, params, init);
export { query };
