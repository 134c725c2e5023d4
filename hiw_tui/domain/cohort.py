"""The participant profile the programme published (N = 1,606 people, March 2020).

Shares in percent, as in domain.md. The demo generator draws from these, and the
cohort report compares against them.
"""

from __future__ import annotations

from hiw_tui.domain.codes import Ethnicity, Gender, LocalAuthority, SupportNeed, TimeSinceWork

#: Share of people reporting each support need (a person can have many).
SUPPORT_NEED_PERCENT: dict[SupportNeed, float] = {
    SupportNeed.MENTAL_HEALTH: 65,
    SupportNeed.PARENT: 32,
    SupportNeed.CARER: 26,
    SupportNeed.LONE_PARENT: 23,
    SupportNeed.CHRONIC_HEALTH: 23,
    SupportNeed.DOMESTIC_ABUSE: 16,
    SupportNeed.HOMELESS: 16,
    SupportNeed.LEARNING_DISABILITY: 15,
    SupportNeed.PHYSICAL_DISABILITY: 13,
    SupportNeed.EX_OFFENDER: 12,
    SupportNeed.NEET: 12,
    SupportNeed.DRUG_MISUSE: 10,
    SupportNeed.PROBLEM_DRINKING: 6,
    SupportNeed.SENSORY_IMPAIRMENT: 4,
    SupportNeed.ESOL: 4,
    SupportNeed.CARE_LEAVER: 4,
    SupportNeed.COMMUNITY_SENTENCE: 4,
    SupportNeed.TEENAGE_PARENT: 1,
    SupportNeed.REFUGEE: 1,
    SupportNeed.EX_ARMED_FORCES: 1,
    SupportNeed.ASYLUM_SEEKER: 1,
}

#: How many needs people had: "45% had 3-4, 6% had 7-8, 1% had 9 or more" (the other
#: bands were not published).
NEEDS_PER_PERSON_PERCENT: dict[str, float] = {"3-4": 45, "7-8": 6, "9 or more": 1}

TIME_SINCE_WORK_PERCENT: dict[TimeSinceWork, float] = {
    TimeSinceWork.M0_6: 17,
    TimeSinceWork.M6_12: 8,
    TimeSinceWork.M12_18: 6,
    TimeSinceWork.M18_24: 5,
    TimeSinceWork.M24_36: 10,
    TimeSinceWork.M36_PLUS: 38,
    TimeSinceWork.NEVER: 15,
    TimeSinceWork.UNKNOWN: 1,
}

#: Age bands (inclusive years) and their share in 2019. Nobody was 66 or over.
AGE_BAND_PERCENT: dict[tuple[int, int], float] = {
    (16, 25): 29,
    (26, 35): 25,
    (36, 45): 21,
    (46, 55): 17,
    (56, 65): 7,
    (66, 120): 0,
}

GENDER_PERCENT: dict[Gender, float] = {Gender.FEMALE: 58, Gender.MALE: 42}

#: White British 91.2%; the published 8.8% of other backgrounds is split here by
#: the region's census shares, which the reports do not break down.
ETHNICITY_PERCENT: dict[Ethnicity, float] = {
    Ethnicity.WHITE_BRITISH: 91.2,
    Ethnicity.WHITE_OTHER: 2.6,
    Ethnicity.MIXED: 1.9,
    Ethnicity.ASIAN: 1.6,
    Ethnicity.BLACK: 1.4,
    Ethnicity.ARAB: 0.6,
    Ethnicity.OTHER: 0.4,
    Ethnicity.NOT_STATED: 0.3,
}

#: Households by area, in proportion to each borough's population.
LOCAL_AUTHORITY_WEIGHT: dict[LocalAuthority, float] = {
    LocalAuthority.HALTON: 128,
    LocalAuthority.KNOWSLEY: 154,
    LocalAuthority.LIVERPOOL: 486,
    LocalAuthority.SEFTON: 280,
    LocalAuthority.ST_HELENS: 183,
    LocalAuthority.WIRRAL: 320,
}
