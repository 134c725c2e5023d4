"""Pure programme rules: codes, validation and text hygiene. No database, no Textual."""
