"""A demo database that looks like the programme: its history since March 2018, its
people drawn from the published profile (see hiw_tui.domain.cohort), today's caseloads
current.

Decisions the demo keeps:

- **Timeline** (`timeline`): programme years run April to March, the first from
  1 March 2018 (referrals began then). About 1,000 households start a year: the first
  year ramps up (about 834 start in it), the second holds 1,062, later years about
  1,050. `build_demo(households=N)` spreads N households over that timeline up to
  `today`; the CLI's default N is the programme's own size (`default_households`, about
  9,000 at the end of 2026), which leaves 30-40 open cases per advocate. A smaller demo
  keeps at least `RECENT_FLOOR` households (at most half) in its last 12 months, so it
  still has current cases.
- **Board pack**: counted a year at a time (households started in the year, steps and
  outcomes in it, readings as of its end), the default-size demo gives the published
  years within a few per cent: 834 / 460 / 376 / 11% into work to March 2019 and
  1,062 / 851 / 722 / 28% to March 2020; later years about 80% completing an activity,
  68% improving and 20% into work. Each era's pace (`timeline.pace`) is calibrated to
  that; the first year is lower because the programme was bedding in and most of its
  households had not got far by March 2019.
- **Households** (`story`): support lasts up to 12 months; most households exit then
  (reason completed, with a destination and, to another programme or education, an
  onward referral), some exit sooner on finding work of 16+ hours that lasts, a few
  move away; those not taking part withdraw within months. Safe-contact households are
  those whose primary householder fled domestic abuse.
- **People** (`people`): ages are at the household's start; nobody is under 16 then;
  time out of work never exceeds the time since turning 16; teenage parents are 16-20
  and NEET people 16-24 at the start, the other bands keeping their published shares.
- **Case work** (`casework`, `ledger`, `referrals`, `contacts`): plans, steps and
  outcomes at the household's pace; spends to payees that fit their category, about
  one household in fifty with a spend above the approval threshold (waiting in an open
  household, decided in a closed one), all through the ledger's locked posting path;
  referrals with statuses over their lifecycle, each after the consent to share it
  needs and made through the referral import's checked path; contacts face to face,
  by telephone and by video call; welfare checks after exit (about half contactable,
  about two in five of those asking to be called again, daily to monthly) and the
  check-ins of phased exits. Case work during support lies between the household's
  start and end; only what follows an exit by design (welfare checks, check-ins, a
  partner's reply to an onward referral) comes after it, and nothing after `today`.
- **Deterministic**: a seed and a `today` give the same database; each part draws from
  a generator of its own seeded from the seed, so changing one leaves the others.
"""
