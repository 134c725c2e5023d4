"""Access over SSH: the embedded server (`hiw-tui serve-ssh`) and the launcher both it and
OpenSSH's forced commands run (`hiw-tui ssh-session`)."""
