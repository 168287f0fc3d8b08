-- Returns one row per governorate of the governorates table (names, label city, boundary source), the table under the map; a governorate is named, never shown by its code.
SELECT name AS governorate, iso_name AS "ISO 3166-2 name", name_origin AS "origin of the name",
    label_city AS "named at", label_geonames_id AS "GeoNames ID", label_rule AS "why that city",
    natural_earth_name AS "Natural Earth name", boundary_source AS "boundary"
FROM governorates
ORDER BY name
