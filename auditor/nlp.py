"""The Chinese tokenizer: spaCy's blank ``zh`` pipeline with the jieba segmenter.

The domain terms (依申请公开, 行政复议, 予以公开, 规范性文件, …) are added to jieba's dictionary from
``auditor/data/userdict.txt`` so that each is one token. Nothing is downloaded: jieba's own
dictionary ships inside the jieba package and spaCy's blank pipeline needs no model.
"""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language


WORD_FREQUENCY = 200000  # high enough that jieba keeps a domain term whole


@cache
def pipeline(vocabulary: frozenset[str] = frozenset()) -> Language:
    """The shared pipeline, built once per process (about 1 s: jieba loads its dictionary).
    ``vocabulary`` adds words to keep whole (the figure rules' terms). spaCy and jieba are
    imported here, so that runs answered from the cache never load them."""
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    userdict = resources.files("auditor.data").joinpath("userdict.txt")
    with resources.as_file(userdict) as path:
        jieba.load_userdict(str(path))
    for word in sorted(vocabulary):
        jieba.add_word(word, WORD_FREQUENCY)
    jieba.initialize()
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
