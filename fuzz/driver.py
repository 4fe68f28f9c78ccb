"""Run a fuzz target under atheris (coverage-guided, libFuzzer) or, without it, a plain-Python
driver that mutates seed inputs at random.

Both harnesses call :func:`run`. With atheris installed, the target runs under libFuzzer and
every libFuzzer flag works (``-runs=``, ``-max_total_time=``, a corpus folder). Otherwise, or with
``--fallback``, the driver below feeds ``--runs`` inputs: seeds, seeds with random edits (bit
flips, cut and repeated spans, spliced hostile tokens such as BOMs, NUL bytes, unpaired
surrogate escapes, deep nesting), and random bytes. An input that raises is saved under
``fuzz/crashes/`` and the run goes on; the exit status is 1 if any input crashed.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

# Pieces of scraper debris spliced into seeds.
HOSTILE = [
    b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x00\x00\x00", b"\x1b[31m", b"\x7f",
    b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\\ud800", b"\\udc80\\ud800", b"\r",
    b"\r\n", b"\n\n\n", b'"', b'""', b"'", b",", b";", b"\t", b"{", b"}", b"[", b"]",
    b"[" * 2000, b"{\"a\":" * 500, b"9" * 5000, b"1e400", b"-0", b"null", b"true", b"NaN",
    b"<script>", b"</script>", b"<body>", b"<!--", b"]]>", b"<p>", b"&#0;", b"&amp;",
    "\u202e\u200f\u200b\ufeff".encode(), "Министр заявил".encode(), "قال الوزير".encode(),
    "外交部长".encode(), b"0001-01-01", b"9999-12-31", b"0000-00-00", b"2025-02-30",
    b"date 2025-05-05 ", b"---\npublished: 2025-05-05\n---\n", b"\xe2\x80\xa8",
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few random edits of ``data``."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        pos = rng.randint(0, len(out))
        if choice < 0.35:
            out[pos:pos] = rng.choice(HOSTILE)
        elif choice < 0.55 and out:
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
        elif choice < 0.7 and out:
            end = min(len(out), pos + rng.randint(1, 200))
            del out[pos:end]
        elif choice < 0.85 and out:
            start = rng.randrange(len(out))
            piece = out[start:start + rng.randint(1, 300)]
            out[pos:pos] = piece * rng.randint(1, 20)
        else:
            out[pos:pos] = rng.randbytes(rng.randint(1, 64))
    return bytes(out)


def inputs(seeds: list[bytes], rng: random.Random, max_len: int):
    while True:
        roll = rng.random()
        if roll < 0.05:
            data = rng.choice(seeds)
        elif roll < 0.15:
            data = rng.randbytes(rng.randint(0, 2000))
        else:
            data = mutate(rng.choice(seeds), rng)
            if rng.random() < 0.3:
                data = mutate(data, rng)
        yield data[:max_len]


def fallback(target: Callable[[bytes], None], seeds: list[bytes], runs: int, seed: int,
             max_len: int, seconds: float, name: str) -> int:
    rng = random.Random(seed)
    crashes: dict[str, str] = {}
    started = time.monotonic()
    tried = 0
    for data in inputs(seeds, rng, max_len):
        if tried >= runs or time.monotonic() - started > seconds:
            break
        tried += 1
        try:
            target(data)
        except Exception as exc:  # noqa: BLE001 -- a crash is what we are looking for
            kind = f"{type(exc).__name__}: {str(exc)[:120]}"
            key = hashlib.sha1(data).hexdigest()[:12]
            if kind not in crashes.values():
                folder = HERE / "crashes"
                folder.mkdir(exist_ok=True)
                (folder / f"{name}-{key}").write_bytes(data)
                print(f"CRASH {kind} -> fuzz/crashes/{name}-{key}\n"
                      f"{traceback.format_exc(limit=4)}", file=sys.stderr)
            crashes[key] = kind
    elapsed = time.monotonic() - started
    print(f"{name}: {tried} inputs in {elapsed:.0f} s ({tried / max(elapsed, 1e-9):.0f}/s), "
          f"seed {seed}, {len(crashes)} crashing inputs, {len(set(crashes.values()))} kinds")
    return 1 if crashes else 0


def run(target: Callable[[bytes], None], seeds: list[bytes], name: str,
        instrument: Callable[[], None] | None = None) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--fallback", action="store_true")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=float("inf"))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--max-len", type=int, default=200_000)
    args, rest = parser.parse_known_args()
    try:
        import atheris
    except ImportError:
        atheris = None
    if atheris is None or args.fallback:
        if atheris is None and not args.fallback:
            print("atheris is not installed: using the pure-Python driver", file=sys.stderr)
        seed = args.seed if args.seed is not None else random.randrange(1 << 30)
        return fallback(target, seeds, args.runs, seed, args.max_len, args.seconds, name)
    if instrument:
        with atheris.instrument_imports(include=["newsledger"]):
            instrument()
    corpus = [a for a in rest if not a.startswith("-")]
    if not corpus:  # start from the built-in seeds
        folder = HERE / "corpus" / name
        folder.mkdir(parents=True, exist_ok=True)
        for data in seeds:
            (folder / hashlib.sha1(data).hexdigest()[:12]).write_bytes(data)
        rest.append(str(folder))
    atheris.Setup([sys.argv[0], *rest], target)
    atheris.Fuzz()
    return 0
