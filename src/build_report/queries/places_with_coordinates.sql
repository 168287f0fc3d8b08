-- Returns the number of places with a coordinate from a recorded origin, with their IDs.
SELECT count(*) AS value, list(place_id ORDER BY place_id) AS ids FROM places WHERE latitude IS NOT NULL
