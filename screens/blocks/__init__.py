"""Building blocks for screens, above the widgets and dialogs they are made of.

The list-screen and live-screen bases, the field table of the full form, the bed
dialogs and the j/n question before an action. Lower down, ``screens.support``
holds what widgets and dialogs lean on too (the host protocol, workers, drafts,
key markers), so the packages of ``screens`` import each other one way only.
"""
