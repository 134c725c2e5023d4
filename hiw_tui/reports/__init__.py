"""The programme reports: what each holds (`tables`), how they are made (`build`) and
written out (`formats`); no Textual here, so the command line and the screen share them."""
