"""Access over SSH: the embedded server (`hiw-tui serve-ssh`), the warm process it forks
its sessions from (`hiw-tui ssh-warm`), and the launcher OpenSSH's forced commands run
(`hiw-tui ssh-session`), whose code every session runs."""
