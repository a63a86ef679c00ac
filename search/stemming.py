"""Danish words and stems for the SQLite backend (FTS5 has no Danish stemmer).

Snowball's Danish algorithm (snowballstemmer, the same algorithm as PostgreSQL's `danish`
text-search dictionary) stems both the stored text and the query, so "boliger" and
"bolig" both become "bol", "udlejningen" becomes "udlejning"."""

import re
from functools import lru_cache

import snowballstemmer

# A word: letters and digits (Unicode, so æ, ø, å count), as FTS5's unicode61 tokenizer.
WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("danish")


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, in order."""
    return [w.lower() for w in WORD.findall(text or "")]


def stem(word: str) -> str:
    """The Danish Snowball stem of one lower-case word."""
    return _stemmer().stemWord(word)


def stems(text: str) -> list[str]:
    """The stems of the words of `text`, in order (one per word)."""
    return _stemmer().stemWords(words(text))


def stemmed_text(text: str) -> str:
    """`text` as its stems separated by spaces: what the FTS5 table stores."""
    return " ".join(stems(text))
