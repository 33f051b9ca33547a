"""Chinese personal-information detection in free text.

``find_pii(text)`` answers non-overlapping :class:`Span` s, ``scrub(text)`` replaces each
with a placeholder such as 〔身份证号〕. Detection is rule based: precompiled regular
expressions run over same-length views of the text (full-width digits, letters, ＠ and
－ read as their ASCII forms; for the digit formats also every dash sign, underscore and
tilde as "-" and spoken digits such as 幺三九 as digits; for plates, VINs, credit codes
and documents ASCII letters in upper case). Recall and precision are measured on held-out
corpora (``tests/corpus/``): ``benchmarks/scrubber.py``,
``tests/unit/test_privacy_pii_heldout.py``, ``tests/unit/test_privacy_pii_independent.py``.

One module a topic, so that a rule for a kind has one place to go:

- :mod:`privacy.pii.spans`: :class:`Span`, the kinds and their placeholders
  (:data:`PLACEHOLDERS`), the views, the table that runs the detectors, overlap
  resolution by priority, :func:`find_pii` and :func:`scrub`;
- :mod:`privacy.pii.identifiers`: resident IDs, credit codes, phones, e-mails, bank
  cards, plates, passports and permits, WeChat, QQ and other accounts, case numbers,
  VINs, hospital numbers, and ``number``, the fail-safe for long digit runs (15 or more
  digits) that match no known format;
- :mod:`privacy.pii.dates_amounts`: dates and amounts of money;
- :mod:`privacy.pii.addresses`: addresses;
- :mod:`privacy.pii.names`: person names;
- :mod:`privacy.pii.patterns`: what the detectors share (candidate and detector types,
  character classes).
"""

from privacy.pii.identifiers import is_resident_id, is_uscc, is_vin, luhn_ok
from privacy.pii.spans import KINDS, PLACEHOLDERS, Span, find_pii, scrub

__all__ = [
    "KINDS",
    "PLACEHOLDERS",
    "Span",
    "find_pii",
    "is_resident_id",
    "is_uscc",
    "is_vin",
    "luhn_ok",
    "scrub",
]
