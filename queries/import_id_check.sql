-- What RMI says about each RMI id a report printed (riskatlas/importer/id_check.py).
-- Relations registered by the caller on a private in-memory connection:
--   printed_ids(row_i, smelter_id)                        the rows that printed an id
--   rmi_ids(smelter_id, standard_smelter_name, mineral, metal, country_raw)   RMI's current list
--   rmi_id_names(smelter_id, name)                        every name RMI gives or gave an id
--   rmi_last_events(smelter_id, event, event_date, details, name)   RMI's revision log
SELECT
    p.row_i,
    p.smelter_id,
    r.smelter_id IS NOT NULL AS in_reference,
    r.standard_smelter_name AS rmi_name,
    r.mineral AS rmi_mineral,
    r.metal AS rmi_metal,
    r.country_raw AS rmi_country,
    coalesce(
        (SELECT list(DISTINCT n.name) FROM rmi_id_names n WHERE n.smelter_id = p.smelter_id),
        []
    ) AS rmi_names,
    e.event AS last_event,
    e.event_date AS last_event_date,
    e.details AS last_event_details,
    e.name AS last_event_name
FROM printed_ids p
LEFT JOIN rmi_ids r ON r.smelter_id = p.smelter_id
LEFT JOIN rmi_last_events e ON e.smelter_id = p.smelter_id
ORDER BY p.row_i
