"""The five-step workflow (SPEC §3): variants as data, steps and activities, meetings and site
walks, the partnership organisation, goals, the joint case and the coaching log."""
from .meetings import Meeting, MeetingParticipant, Observation, SiteWalkStop
from .partnership import Actor, ActorContact, GroupMember, PartnershipDocument, PartnershipGroup
from .plans import CoachingEntry, Goal, JointCase
from .workflow import Activity, EvidenceKind, Step, Variant, VariantActivity, VariantStep, WorkArea

__all__ = [
    "Activity", "Actor", "ActorContact", "CoachingEntry", "EvidenceKind", "Goal", "GroupMember", "JointCase",
    "Meeting", "MeetingParticipant", "Observation", "PartnershipDocument", "PartnershipGroup", "SiteWalkStop",
    "Step", "Variant", "VariantActivity", "VariantStep", "WorkArea",
]
