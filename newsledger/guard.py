"""Guards for hostile input: a light language check and a per-article time limit.

The extractor codes English news. Text in another language must be *skipped with its language
recorded*, not run through English patterns (which would invent actors and events from
look-alike words). And no single article may hang an ingest: extraction runs under a time limit.

Language detection needs no model: the writing system decides most languages (Cyrillic, Arabic,
Han, Devanagari ...); within the Latin script, the share of each language's commonest function
words decides. Short or ambiguous text is ``"und"`` (undetermined) and is *not* skipped: a
headline without function words is no evidence of a foreign language.

>>> detect_language("The minister said on Monday that the talks with the rebels had failed.")
'en'
>>> detect_language("Министр иностранных дел заявил в понедельник, что переговоры провалились.")
'ru'
>>> detect_language("Le ministre a déclaré lundi que les négociations avec les rebelles ont échoué")
'fr'
>>> detect_language("Talks fail")
'und'
>>> with time_limit(0.2):                                               # doctest: +SKIP
...     while True: pass
Traceback (most recent call last):
TimeLimitExceeded: took longer than 0.2 s
"""
from __future__ import annotations

import ctypes
import re
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["TimeLimitExceeded", "time_limit", "detect_language", "language_problem", "SCRIPTS"]

UNDETERMINED = "und"
SAMPLE_CHARS = 6000  # the first few thousand characters tell the language; keeps the check O(1)
MIN_LETTERS = 20  # fewer letters than this: undetermined
MIN_WORDS = 8  # Latin-script text with fewer words: undetermined

# (first code point, last code point, language the script points to). The most common language
# of a script stands for it; a few letters unique to a neighbour refine it (see _refine).
SCRIPTS: list[tuple[int, int, str]] = [
    (0x0370, 0x03FF, "el"), (0x1F00, 0x1FFF, "el"),          # Greek
    (0x0400, 0x052F, "ru"),                                    # Cyrillic
    (0x0530, 0x058F, "hy"),                                    # Armenian
    (0x0590, 0x05FF, "he"), (0xFB1D, 0xFB4F, "he"),          # Hebrew
    (0x0600, 0x06FF, "ar"), (0x0750, 0x077F, "ar"),          # Arabic
    (0x08A0, 0x08FF, "ar"), (0xFB50, 0xFDFF, "ar"), (0xFE70, 0xFEFF, "ar"),
    (0x0700, 0x074F, "syr"),                                   # Syriac
    (0x0780, 0x07BF, "dv"),                                    # Thaana
    (0x0900, 0x097F, "hi"),                                    # Devanagari
    (0x0980, 0x09FF, "bn"), (0x0A00, 0x0A7F, "pa"), (0x0A80, 0x0AFF, "gu"),
    (0x0B00, 0x0B7F, "or"), (0x0B80, 0x0BFF, "ta"), (0x0C00, 0x0C7F, "te"),
    (0x0C80, 0x0CFF, "kn"), (0x0D00, 0x0D7F, "ml"), (0x0D80, 0x0DFF, "si"),
    (0x0E00, 0x0E7F, "th"), (0x0E80, 0x0EFF, "lo"), (0x0F00, 0x0FFF, "bo"),
    (0x1000, 0x109F, "my"), (0x10A0, 0x10FF, "ka"), (0x1200, 0x139F, "am"),
    (0x1780, 0x17FF, "km"), (0x1800, 0x18AF, "mn"),
    (0x1100, 0x11FF, "ko"), (0x3130, 0x318F, "ko"), (0xAC00, 0xD7AF, "ko"),  # Hangul
    (0x3040, 0x30FF, "ja"), (0x31F0, 0x31FF, "ja"),          # kana
    (0x3400, 0x4DBF, "zh"), (0x4E00, 0x9FFF, "zh"), (0xF900, 0xFAFF, "zh"),  # Han
]
_STARTS = [start for start, _, _ in SCRIPTS]

# The commonest function words of each Latin-script language, chosen to overlap little with
# English (no "a", "in", "on", "die", "also" ...). Only their relative frequency matters.
STOP_WORDS: dict[str, set[str]] = {
    "en": set("the of and to is was for that with said were are has have had been by from this "
              "which will not their his her they its who would after an at but as".split()),
    "fr": set("le la les des du une et est dans pour que qui sur au aux avec par ne pas sont "
              "été ont cette mais leur il elle ils selon lors".split()),
    "es": set("el los las del una y es en por que con para se su sus fue como pero más al "
              "según ha han este esta lo".split()),
    "pt": set("o os as do da dos das uma e é em por que com para se seu sua foi como mas "
              "não ao à pelo pela segundo".split()),
    "it": set("il lo gli della dei delle una e è per che con si sono nel nella alla ha "
              "anche come ma del non secondo".split()),
    "de": set("der das und ist den dem des ein eine nicht mit sich auf für von zu im sie "
              "es wurde wird auch nach bei hat".split()),
    "nl": set("de het een en van is dat op te zijn met voor niet aan er maar ook om bij "
              "werd door naar heeft".split()),
    "sv": set("och att det som är på för med av den till inte har ett om var han hon vid "
              "efter eller kan".split()),
    "pl": set("i w na z się że nie do jest to o przez od po jak oraz dla był była są "
              "który która".split()),
    "tr": set("ve bir bu da de için ile olarak olan çok daha sonra ancak gibi kadar "
              "ama ise değil".split()),
    "id": set("dan yang di ke dari ini itu untuk dengan tidak akan pada dalam juga "
              "adalah oleh telah kata".split()),
    "ro": set("și în de la cu pe este că din pentru care nu mai sunt au fost una un o "
              "după".split()),
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _script_language(code: int) -> str | None:
    """The language a letter's script points to (None for Latin and anything unlisted)."""
    lo, hi = 0, len(_STARTS)
    while lo < hi:  # the last range starting at or before ``code``
        mid = (lo + hi) // 2
        if _STARTS[mid] <= code:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return None
    start, end, language = SCRIPTS[lo - 1]
    return language if start <= code <= end else None


def _refine(language: str, sample: str) -> str:
    """Split a script between the languages that share it, by letters only one of them uses."""
    if language == "ru":
        if any(c in sample for c in "ієїґІЄЇҐ"):
            return "uk"
        if any(c in sample for c in "ђјљњћџЂЈЉЊЋЏ"):
            return "sr"
    if language == "ar":
        if sum(sample.count(c) for c in "ٹڈڑںے") >= 3:
            return "ur"
        if sum(sample.count(c) for c in "پچژگی") >= 3:
            return "fa"
    if language == "zh" and any(0x3040 <= ord(c) <= 0x30FF for c in sample):
        return "ja"  # Japanese mixes kana into Han; Chinese has none
    return language


def _latin_language(sample: str) -> str:
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS:
        return UNDETERMINED
    counts = Counter(words)
    hits = {lang: sum(counts[w] for w in stops) for lang, stops in STOP_WORDS.items()}
    best = max(hits, key=hits.get)
    english = hits["en"]
    # English news runs at 30-45 % function words. Call it foreign only when another language
    # clearly dominates, so English with a foreign phrase or many foreign names stays English.
    if best != "en" and hits[best] >= 3 and hits[best] >= 2 * english \
            and hits[best] / len(words) >= 0.12:
        return best
    if english / len(words) >= 0.08:
        return "en"
    return UNDETERMINED


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language (``"und"`` when unsure), from its first
    ``SAMPLE_CHARS`` characters.

    >>> detect_language("Президент України заявив, що переговори тривають уже третій тиждень.")
    'uk'
    >>> detect_language("قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في القاهرة")
    'ar'
    """
    sample = text[:SAMPLE_CHARS]
    scripts: Counter[str] = Counter()
    latin = 0
    for char in sample:
        if not char.isalpha():
            continue
        code = ord(char)
        if code < 0x250 or 0x1E00 <= code <= 0x1EFF:  # Latin, with its extensions
            latin += 1
        elif language := _script_language(code):
            scripts[language] += 1
    letters = latin + sum(scripts.values())
    if letters < MIN_LETTERS:
        return UNDETERMINED
    if scripts:
        language, count = scripts.most_common(1)[0]
        if language in ("zh", "ja"):  # kana and Han counted together: one writing system
            count = scripts["zh"] + scripts["ja"]
        if count > latin:
            return _refine(language, sample)
    return _latin_language(sample)


def language_problem(text: str, accepted: tuple[str, ...] = ("en",)) -> str | None:
    """Why ``text`` should be skipped for its language, or None (accepted or undetermined).

    >>> language_problem("Правительство объявило новые санкции против соседней страны сегодня.")
    'not English (detected: ru)'
    """
    language = detect_language(text)
    if language == UNDETERMINED or language in accepted:
        return None
    if accepted == ("en",):
        return f"not English (detected: {language})"
    return f"language not accepted (detected: {language}; accepted: {', '.join(accepted)})"


# ------------------------------------------------------------------------------ time limit

class TimeLimitExceeded(BaseException):
    """Raised inside code that ran past its :func:`time_limit`.

    A BaseException, like KeyboardInterrupt, so an ``except Exception`` in the code being
    limited cannot swallow it and run on unlimited.
    """


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in this block once it has run ``seconds``.

    In the main thread a SIGALRM timer interrupts even blocking calls; in other threads
    (web servers, thread pools) a watchdog injects the exception, which lands at the next
    Python bytecode (a long C call finishes first). ``None`` or ``0``: no limit. Nested limits
    work: the outer timer is restored, minus the time spent.
    """
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    import time

    def expire(signum: int, frame: object) -> None:
        raise TimeLimitExceeded(f"took longer than {seconds:g} s")

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    outer_first = bool(outer) and outer < seconds
    if outer_first:  # an enclosing limit ends first: keep its deadline and its handler
        signal.signal(signal.SIGALRM, previous)
        signal.setitimer(signal.ITIMER_REAL, outer)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        left = outer - (time.monotonic() - started) if outer else 0.0
        if left > 0:  # give the enclosing limit what it had left
            signal.setitimer(signal.ITIMER_REAL, left)
        elif outer and not outer_first:  # it ran out meanwhile: let it fire now
            signal.setitimer(signal.ITIMER_REAL, 0.001)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    done = threading.Event()
    fired = threading.Event()

    def expire() -> None:
        if not done.is_set():
            fired.set()
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target),
                                                       ctypes.py_object(TimeLimitExceeded))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except TimeLimitExceeded:
        raise TimeLimitExceeded(f"took longer than {seconds:g} s") from None
    finally:
        done.set()
        timer.cancel()
        if fired.is_set():  # an exception injected after the block ended must not escape
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
