"""Readers: bytes of a published report to the typed ``Report`` model.

Each format turns its file into blocks (``auditor.read.document``); ``build_report`` makes the
model from them, so every format yields the same model.
"""
