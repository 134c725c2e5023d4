"""Documents about one person, written for them: the subject-access file (its contents
are gathered in `hiw_tui.db.privacy.subject_access`) and the hand-over pack (`pack`),
each as plain text or a PDF in large type (`document_pdf`), written and audited by
`files`."""
