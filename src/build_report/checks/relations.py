"""Relations: a judgement recorded in a vocabulary agrees with the fields it implies.

A report's relation to its claim (probable original, independent, copy, conflicting, candidate) and a review's
outcome are judgements; each has consequences the package records elsewhere: the reasons given for it, the
confidence, the outlet the claim names, the fields a review changed, the URLs its search kept.
"""

from __future__ import annotations

import duckdb

from ..package import records
from . import Failure

CHECK = "coherence"

RULES = {
    "relation-fits-reasons": "a conflicting report gives a difference among its reasons (different_*); an "
    "independent report or a copy gives a likeness (same_*); a report with the claim's own headline (same_headline) "
    "is its original or a copy, never independent of it",
    "candidate-not-high-confidence": "a candidate report (not yet judged the same event) is never of high confidence",
    "original-is-the-named-outlet": "where a claim names its outlet, a probable original of it is that outlet's "
    "report (the outlet's independence group), and an independent report is not",
    "fields-changed-only-when-corrected": "a review names changed fields only when its outcome is corrected",
    "url-not-returned-agrees-with-search": "a review whose outcome is url_not_returned or pending cites no search "
    "that kept the row's URL (a reviewer whose search returned the page has judged it)",
    "review-search-kept-the-row": "a confirming or correcting review cites the search that returned the row's URL "
    "(or its mirror's) again",
}


def check(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for r in records(
        con,
        """
        SELECT k.corroboration_id AS id, k.relation, k.confidence, coalesce(k.reasons::VARCHAR, '') AS reasons,
               s.independence_group AS grp, o.independence_group AS named
        FROM corroborations k
        LEFT JOIN sources s ON s.source_id = coalesce(k.relies_on_source_id, k.source_id)
        LEFT JOIN claims c ON c.claim_id = k.claim_id
        LEFT JOIN sources o ON o.source_id = c.source_id
        ORDER BY 1""",
    ):
        reasons = set(r["reasons"].replace(",", ";").split(";"))
        rel = r["relation"]
        if not _fits(rel, reasons):
            out.append(_fail("corroborations", r["id"], "relation", "relation-fits-reasons", f"{rel}; {r['reasons']}"))
        if rel == "candidate" and r["confidence"] == "high":
            out.append(_fail("corroborations", r["id"], "confidence", "candidate-not-high-confidence", "high"))
        if (
            r["named"]
            and r["grp"]
            and (
                (rel == "probable_original" and r["grp"] != r["named"])
                or (rel == "independent" and r["grp"] == r["named"])
            )
        ):
            out.append(
                _fail(
                    "corroborations",
                    r["id"],
                    "relation",
                    "original-is-the-named-outlet",
                    f"{rel} in group {r['grp']}; the claim's outlet is in {r['named']}",
                )
            )
    for r in records(
        con,
        """
        SELECT v.review_id AS id, v.outcome, v.fields_changed, s.urls_kept::VARCHAR AS urls_kept,
               coalesce(k.url, x.url, t.url)::VARCHAR AS url, k.mirror_url::VARCHAR AS mirror_url,
               rs.urls_kept::VARCHAR AS row_kept
        FROM reviews v LEFT JOIN search_log s ON s.search_id = v.search_id
        LEFT JOIN corroborations k ON v."table" = 'corroborations' AND k.corroboration_id = v.row_id
        LEFT JOIN crosswalk x ON v."table" = 'crosswalk' AND x.crosswalk_id = v.row_id
        LEFT JOIN context_totals t ON v."table" = 'context_totals' AND t.context_id = v.row_id
        LEFT JOIN search_log rs ON rs.search_id = coalesce(k.search_id, x.search_id, t.search_id)
        ORDER BY 1""",
    ):
        if r["fields_changed"] and r["outcome"] != "corrected":
            out.append(_fail("reviews", r["id"], "outcome", "fields-changed-only-when-corrected", f"{r['outcome']}"))
        kept = set((r["urls_kept"] or "").split())
        if r["outcome"] in ("url_not_returned", "pending") and r["url"] and r["url"] in kept:
            out.append(
                _fail(
                    "reviews",
                    r["id"],
                    "outcome",
                    "url-not-returned-agrees-with-search",
                    f"{r['outcome']}, but its search kept {r['url']}",
                )
            )
        # A row URL that its own search did not return is url-returned-by-recorded-search's failure, not the review's.
        row_url_found = r["url"] in (r["row_kept"] or "").split()
        if r["outcome"] in ("confirmed", "corrected") and row_url_found and not kept & {r["url"], r["mirror_url"]}:
            out.append(
                _fail(
                    "reviews",
                    r["id"],
                    "search_id",
                    "review-search-kept-the-row",
                    f"{r['outcome']}, but its search kept {', '.join(sorted(kept)) or 'nothing'}, not {r['url']}",
                )
            )
    return out


def _fits(relation: str, reasons: set[str]) -> bool:
    """Whether a relation agrees with the reasons given for it."""
    differs = any(x.startswith("different_") for x in reasons)
    alike = any(x.startswith("same_") for x in reasons)
    if relation == "conflicting":
        return differs
    if relation == "copy":
        return alike
    if relation == "independent":
        return alike and "same_headline" not in reasons
    return True


def _fail(table: str, rid: object, field: str, rule: str, value: object) -> Failure:
    return Failure(table, str(rid), field, rule, str(value), CHECK)
