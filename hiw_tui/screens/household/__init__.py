"""The household list, the record, registration, members and their consent."""
