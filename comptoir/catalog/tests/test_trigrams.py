"""pg_trgm's word similarity in Python (catalog/trigrams.py): SQLite tolerates a typo as
PostgreSQL does. The values are PostgreSQL 15's `word_similarity(a, b)` and `a <% b`
(printed by psql), pinned; on PostgreSQL the last test asks the database again."""

import random

import pytest
from django.db import connection

from comptoir.catalog.search import folded_words
from comptoir.catalog.trigrams import THRESHOLD, is_near, trigrams, word_similarity

POSTGRESQL = [
    # word, text, word_similarity(word, text), word <% text
    ("ecrouu", "vis ecrou m6", 0.71428573, True),
    ("ecrouu", "ecr 6 ecrou hexagonal m6 inox a2", 0.71428573, True),
    ("rondele", "ron 6 rondelle plate pour ecrou m6", 0.75, True),
    ("hexagonl", "ecr 6 ecrou hexagonal m6 inox a2", 0.7777778, True),
    ("word", "two words", 0.8, True),
    ("ecrou", "vis ecrou m6", 1.0, True),
    ("vsi", "vis ecrou m6", 0.25, False),
    ("m7", "vis ecrou m6", 0.33333334, False),
    ("a", "a b c", 1.0, True),
    ("boulno", "blt 10 boulon m10 acier steel", 0.5714286, False),
    ("xyzzy", "vis ecrou m6", 0.0, False),
    ("chevile", "chv 8 cheville nylon pour vis inox de 4 mm", 0.75, True),
    ("abab", "ab abab ba bab", 1.0, True),
    ("tetefraisee", "vis a tete fraisee", 0.6666667, True),
    ("rondelleplate", "rondelle plate", 0.7058824, True),
    ("4x4o", "vis 4x40 inox", 0.6, True),
    ("steeel", "blt 10 boulon m10 acier steel", 0.85714287, True),
    # more than EXACT_UP_TO trigrams: computed in single precision throughout
    ("rondele", "vis " * 600 + "rondelle plate", 0.75, True),
    ("ecrouu", "ecr " * 700 + "ecruo", 0.42857143, False),
    ("", "vis", 0.0, False),
    ("vis", "", 0.0, False),
]
UNFOLDED = [
    # PostgreSQL lower-cases and splits on anything not a letter or digit, as trigrams() does
    ("Écrou", "vis écrou", 1.0),
    ("ÉCROU", "vis écrou", 1.0),
    ("fraisée tête", "vis à tête fraisée", 1.0),
]


def test_a_word_is_cut_into_trigrams_padded_with_two_spaces_before_and_one_after():
    assert trigrams("Vis, M6") == ["  v", " vi", "vis", "is ", "  m", " m6", "m6 "]
    assert trigrams("a") == ["  a", " a "]


@pytest.mark.parametrize(("word", "text", "similarity", "near"), POSTGRESQL)
def test_the_similarity_is_postgresqls(word, text, similarity, near):
    assert word_similarity(word, text) == pytest.approx(similarity, abs=1e-7)
    assert is_near(word, text) is near


@pytest.mark.parametrize(("word", "text", "similarity"), UNFOLDED)
def test_case_accents_and_punctuation_count_as_postgresql_counts_them(word, text, similarity):
    assert word_similarity(word, text) == pytest.approx(similarity, abs=1e-7)


def test_the_threshold_is_postgresqls_float4_and_reached_at_exactly_0_6():
    assert THRESHOLD == 0.6000000238418579  # float4 0.6, the GUC's default
    assert word_similarity("4x4o", "vis 4x40 inox") >= THRESHOLD


def test_the_quick_rejection_and_the_whole_word_shortcut_answer_as_the_similarity():
    """`is_near` rejects a text lacking too many of a word's trigrams, and accepts a word
    the text holds whole, before computing any similarity: on folded texts it answers as
    the similarities do, word by word."""
    rng = random.Random(20)
    vocabulary = folded_words("vis ecrou rondelle plate boulon cheville inox acier a2 4x40 ab")

    def some_word() -> str:
        word = list(rng.choice(vocabulary))
        if rng.random() < 0.7:
            word.insert(rng.randrange(len(word) + 1), rng.choice("aeiouxs0"))
        return "".join(word)

    for _ in range(2000):
        text = " ".join(rng.choices(vocabulary, k=rng.randrange(1, 12)))
        words = [some_word() for _ in range(rng.randrange(1, 3))]
        near = all(word_similarity(word, text) >= THRESHOLD for word in words)
        assert is_near(" ".join(words), text) is near, (words, text)


def test_every_word_must_be_near():
    assert is_near("chevile nylon", "chv 8 cheville nylon pour vis inox de 4 mm") is True
    assert is_near("chevile xqzwk", "chv 8 cheville nylon pour vis inox de 4 mm") is False
    assert is_near("", "vis") is False


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="asks PostgreSQL's pg_trgm")
def test_the_pinned_values_are_still_postgresqls():
    pairs = [(word, text) for word, text, *_ in POSTGRESQL + UNFOLDED]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word_similarity(a, b)::float8, a <%% b"
            " FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(a, b, n) ORDER BY n",
            [[word for word, _ in pairs], [text for _, text in pairs]],
        )
        rows = cursor.fetchall()
    assert [(word_similarity(*pair), word_similarity(*pair) >= THRESHOLD) for pair in pairs] == [
        (similarity, near) for similarity, near in rows
    ]
