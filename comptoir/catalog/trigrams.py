"""pg_trgm's word similarity in Python, so that SQLite tolerates a typo as PostgreSQL does
(catalog/search.py, issue 20: the same products found on both databases).

`word_similarity(word, text)` is PostgreSQL's `word_similarity()`: the greatest similarity
between the trigrams of `word` and a continuous extent of the ordered trigrams of `text`,
found the way pg_trgm finds it (contrib/pg_trgm/trgm_op.c, `iterate_word_similarity`: one
pass moving the extent's upper end to each trigram of `word`, then its lower end forward
while that raises the similarity; a heuristic, not the true maximum, so it is followed
step by step, ties and all). A word's trigrams are those of the word lower-cased, padded
with two spaces before and one after; anything not a letter or digit separates words. The
similarities are ordered and rounded as pg_trgm's `float4` are: `word_similarity` returns
exactly what PostgreSQL prints (catalog/tests/test_trigrams.py pins its values, and asks
PostgreSQL again when run on it). `is_near(words, text)` is `word <% text` at the default
threshold (0.6) for each word: the SQL function SQLite's searches call
(catalog/search_index.py).

Where they may differ: PostgreSQL lower-cases and tells letters by its locale and hashes a
trigram of non-ASCII letters into three bytes (two such trigrams may collide), Python by
Unicode. `Product.search_text` is folded (catalog/search.py, `folded_words`) into lower-case
letters and digits, most of them ASCII, so these never matter there.

`is_near` runs once per product row when a search finds nothing as typed, so it rejects
most rows without computing a similarity: it counts which of each word's trigrams occur
anywhere in the text (substring tests, in C), which bounds the similarity from above
(about 2 µs a product); a word the text holds whole is near (similarity 1); only the rest
is computed, the text's trigrams made once for every word (bench/README.md, "Typos on
SQLite": figures).
"""

import re
import struct
from functools import lru_cache

_FLOAT4 = struct.Struct("f")
_WORD = re.compile(r"[^\W_]+")


def _float4(value: float) -> float:
    """`value` rounded to single precision, as pg_trgm's `float4` arithmetic rounds it."""
    return _FLOAT4.unpack(_FLOAT4.pack(value))[0]


THRESHOLD = _float4(0.6)
"""pg_trgm.word_similarity_threshold's default, a `float4` 0.6 (0.6000000238…)."""
EXACT_UP_TO = 2048
"""Below it two distinct fractions `a / b` and `c / d` (b, d ≤ 2048) differ by at least
1 / 2048², four times a `float4` step (2⁻²⁴ below 1): rounding them keeps their order."""


def trigrams(text: str) -> list[str]:
    """The trigrams of `text` in order, repeats kept: "Vis" → ["  v", " vi", "vis", "is "]."""
    found = []
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        found += [padded[start : start + 3] for start in range(len(padded) - 2)]
    return found


def word_similarity(word: str, text: str) -> float:
    """PostgreSQL's `word_similarity(word, text)`: 1.0 when `text` holds `word`, 0.0 when
    they share no trigram."""
    return _similarity(frozenset(trigrams(word)), trigrams(text))


def _similarity(wanted: frozenset[str], ordered: list[str], enough: float = 2.0) -> float:
    """pg_trgm's `iterate_word_similarity`: the similarity of the extent of `ordered` it
    settles on, `count / (len(wanted) + distinct - count)` where the extent holds `distinct`
    trigrams, `count` of them wanted; or, as soon as it reaches `enough`, that similarity
    (pg_trgm's early stop for `<%`, which answers the same).

    In double precision where that orders every similarity as single precision does
    (distinct fractions of denominators up to `EXACT_UP_TO` are more than a `float4` step
    apart), else rounded at each step as pg_trgm's `float4`."""
    ulen1 = len(wanted)
    rounded = ulen1 + len(ordered) > EXACT_UP_TO
    last: dict[str, int] = {}
    ulen2 = count = 0
    lower = -1
    best = 0.0
    for upper, trigram in enumerate(ordered):
        is_wanted = trigram in wanted
        if lower >= 0 or is_wanted:
            if last.get(trigram, -1) < 0:
                ulen2 += 1
                count += is_wanted
            last[trigram] = upper
        if not is_wanted:
            continue
        if lower == -1:
            lower, ulen2 = upper, 1
        current = count / (ulen1 + ulen2 - count)
        if rounded:
            current = _float4(current)
        tmp_count, tmp_ulen2, previous_lower = count, ulen2, lower
        for tmp_lower in range(lower, upper + 1):
            candidate = tmp_count / (ulen1 + tmp_ulen2 - tmp_count)
            if rounded:
                candidate = _float4(candidate)
            if candidate > current:
                current, ulen2, lower, count = candidate, tmp_ulen2, tmp_lower, tmp_count
            if current >= enough:
                return _float4(current)
            dropped = ordered[tmp_lower]
            if last[dropped] == tmp_lower:
                tmp_ulen2 -= 1
                tmp_count -= dropped in wanted
        best = max(best, current)
        for tmp_lower in range(previous_lower, lower):
            dropped = ordered[tmp_lower]
            if last[dropped] == tmp_lower:
                last[dropped] = -1
    return _float4(best)


@lru_cache(maxsize=256)
def _patterns(words: str) -> tuple[tuple[str, frozenset[str], tuple[str, ...], int], ...]:
    """For each of `words`: the word; its trigrams; the substrings of a folded text that
    show each is there (a word's start "  e" is " e" after the single space separating
    words); how many must be there for the similarity to reach the threshold (it is at
    most present / len(trigrams))."""
    patterns = []
    for word in words.split():
        wanted = frozenset(trigrams(word))
        if not wanted:
            return ((word, wanted, (), 1),)
        probes = tuple(t[1:] if t.startswith("  ") else t for t in wanted)
        needed = next(n for n in range(len(wanted) + 1) if _float4(n / len(wanted)) >= THRESHOLD)
        patterns.append((word, wanted, probes, needed))
    return tuple(patterns) or (("", frozenset(), (), 1),)


def is_near(words: str, text: str) -> bool:
    """`word <% text` at the default threshold for each of `words` (space-separated), for
    a `text` folded as `search_text` is (lower-case letters and digits, words separated by
    one space). Every word's quick rejection first, then the similarities, the text's
    trigrams made once; a word the text holds whole is near (its similarity is 1)."""
    padded = f" {text} "
    patterns = _patterns(words)
    for _, _, probes, needed in patterns:
        if sum(map(padded.__contains__, probes)) < needed:
            return False
    ordered = None
    for word, wanted, _, _ in patterns:
        if f" {word} " in padded:
            continue
        ordered = ordered or trigrams(text)
        if _similarity(wanted, ordered, THRESHOLD) < THRESHOLD:
            return False
    return True
