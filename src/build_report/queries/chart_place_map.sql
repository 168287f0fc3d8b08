-- Returns one row per mark of the map: a point per place with a coordinate from a recorded origin, and an area per governorate holding places known only to the governorate or without a coordinate (their IDs listed), drawn at the governorate's label point.
SELECT 'point' AS kind, p.place_id AS id, p.standard_name AS title, p.latitude, p.longitude, p.location_precision,
    p.coord_basis, coalesce(g.name, 'not stated') AS governorate, NULL AS places
FROM places p LEFT JOIN governorate_labels g ON g.code = p.admin1_code
WHERE p.latitude IS NOT NULL
UNION ALL
SELECT 'area', min(p.place_id), 'places in ' || g.name || ' without a coordinate', g.latitude, g.longitude,
    'governorate or less precise', NULL, g.name,
    string_agg(p.place_id || ' ' || p.standard_name || ' (' || p.location_precision || ')', '; ' ORDER BY p.place_id)
FROM places p JOIN governorate_labels g ON g.code = p.admin1_code
WHERE p.latitude IS NULL
GROUP BY g.name, g.latitude, g.longitude
ORDER BY kind DESC, id
