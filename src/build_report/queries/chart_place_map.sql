-- Returns one row per place with a coordinate: position, precision and where the coordinate comes from.
SELECT place_id AS id, standard_name AS title, latitude, longitude, location_precision, coord_basis
FROM places WHERE latitude IS NOT NULL ORDER BY id
