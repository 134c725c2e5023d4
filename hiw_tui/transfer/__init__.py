"""The CSV import from the areas' CRMs (parse, match, write, load) and the export
to the same files."""
