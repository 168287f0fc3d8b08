-- Returns the number of places (places rows) with a governorate but no coordinate, drawn on the map as a ring around their governorate's name, with their IDs.
SELECT count(*) AS value, list(place_id ORDER BY place_id) AS ids
FROM places WHERE latitude IS NULL AND admin1_code IS NOT NULL
