-- The RMI smelter reference list as the last build stored it (the importer matches against it).
SELECT * FROM rmi_reference
