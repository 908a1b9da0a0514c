"""Stated figures of the narrative, resolved to template keys.

A figure is a number (Arabic, full-width, or Chinese numerals such as 两, 十二) with its measure
word (项, 件, 份, 条, 次, 个, 万元, %, …) and the quantity it counts, resolved to the keys of the
template cells (``review.total``) or of derived quantities (``requests.withheld.total``, see
``auditor/data/template-2021.toml``). Statements of absence ("无行政许可", "未发生行政诉讼") state
0. Numbers that are not counts (years, dates, "20 个工作日" deadlines, document numbers) are kept
with their kind and no key; so is any count whose quantity cannot be told, or whose statement is
not about what the quantity counts (a count of 提案, of 诉求, of information items in 条). The
resolution rules are data: ``auditor/data/figures.toml``.

Modules: ``numbers`` (sentences, clauses, numbers and their kinds), ``linking`` (which quantity a
count states, and the evidence it needs), ``absence`` (denials), ``extract`` (the figures of a
report), ``rules`` (the data).
"""

from auditor.figures.extract import Figure, FigureKind, extract_figures, paragraph_figures, tokenizer
from auditor.figures.rules import FigureRules, Quantity, load_rules

__all__ = ["Figure", "FigureKind", "FigureRules", "Quantity", "extract_figures", "load_rules", "paragraph_figures", "tokenizer"]
