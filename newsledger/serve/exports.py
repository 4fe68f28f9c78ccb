"""Generated downloads: files in a private temp dir, looked up by a random id only."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import secrets
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from newsledger.serve.queries import nest


class ExportNotFound(LookupError):
    """An unknown or expired export id."""


_EXPORT_ID = re.compile(r"^[0-9a-f]{32}$")
_MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
          "json": "application/json", "tsv": "text/tab-separated-values; charset=utf-8"}


class Exports:
    """Generated downloads: files in a private temp dir, looked up by a random id only.

    A request never names a path: the id must be 32 hex digits and present in the registry,
    so ``../`` and friends cannot reach anything. The oldest files go past ``keep``.
    """

    def __init__(self, max_rows: int = 100_000, keep: int = 20):
        self.dir = Path(tempfile.mkdtemp(prefix="newsledger-exports-"))
        self.max_rows = max_rows
        self.keep = keep
        self.items: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def reserve(self, suffix: str) -> tuple[str, Path]:
        """A fresh random id and the file it will name (in the private dir)."""
        export_id = secrets.token_hex(16)
        return export_id, self.dir / f"{export_id}.{suffix}"

    def register(self, export_id: str, path: Path, what: str, suffix: str) -> dict[str, Any]:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
        item = {"id": export_id, "path": str(path),
                "media_type": _MEDIA.get(suffix, "application/octet-stream"),
                "filename": f"newsledger-{what}-{stamp}.{suffix}"}
        with self.lock:
            self.items[export_id] = item
            while len(self.items) > self.keep:
                old = self.items.pop(next(iter(self.items)))
                Path(old["path"]).unlink(missing_ok=True)
        return item

    def write(self, rows: list[dict[str, Any]], what: str, fmt: str) -> dict[str, Any]:
        export_id, path = self.reserve(fmt)
        plain = [nest(r) if fmt != "csv" else {k: _cell(v) for k, v in r.items()} for r in rows]
        with open(path, "w", encoding="utf-8", newline="") as handle:
            if fmt == "csv":
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["id"])
                writer.writeheader()
                writer.writerows(plain)
            elif fmt == "jsonl":
                handle.writelines(json.dumps(r, ensure_ascii=False, default=str) + "\n"
                                  for r in plain)
            else:
                json.dump(plain, handle, ensure_ascii=False, default=str)
        return self.register(export_id, path, what, fmt)

    def get(self, export_id: str) -> dict[str, Any]:
        item = self.items.get(export_id) if _EXPORT_ID.match(export_id) else None
        if item is None or not Path(item["path"]).is_file():
            raise ExportNotFound("no export with that id (exports are kept for this server "
                                 f"run, the latest {self.keep})")
        return item

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
