"""The support-budget ledger in the import and export files: ledger.csv (spends,
reversals and the decisions on spends that waited) and caps.csv (each budget's caps).

`held` reads what the database holds that the files' rows meet, `plan` puts the rows in
the order they are posted and checks each against its budget as it will be, `postings`
turns the plan into rows for the ledger's one locked path (`post`), and `export` writes
the two files. Every budget moves only through `post`."""
