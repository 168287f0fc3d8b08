-- Returns the number of places (places rows) with neither a coordinate nor a single governorate (the country, or several governorates), which the map cannot draw, with their IDs.
SELECT count(*) AS value, list(place_id ORDER BY place_id) AS ids
FROM places WHERE latitude IS NULL AND admin1_code IS NULL
