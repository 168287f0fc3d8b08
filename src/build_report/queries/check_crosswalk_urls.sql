-- Returns each crosswalk row with url_ok: its URL is on its dataset's own site, or (for a dataset held as a file) a GitHub file at a fixed commit.
SELECT crosswalk_id,
    CASE dataset
        WHEN 'Airwars' THEN regexp_matches(url, '^https?://(www\.)?airwars\.org/')
        WHEN 'SNHR' THEN regexp_matches(url, '^https?://(www\.)?(snhr|sn4hr)\.org/')
        WHEN 'UCDP GED' THEN regexp_matches(url, '^https?://(ucdp\.uu\.se/|github\.com/[^/]+/[^/]+/blob/[0-9a-f]{40}/)')
        WHEN 'VDC' THEN regexp_matches(url, '^https?://((www\.)?vdc-sy\.info/|github\.com/[^/]+/[^/]+/blob/[0-9a-f]{40}/)')
        WHEN 'ACLED' THEN regexp_matches(url, '^https?://((www\.)?acleddata\.com/|github\.com/[^/]+/[^/]+/blob/[0-9a-f]{40}/)')
        ELSE false
    END AS url_ok
FROM crosswalk
