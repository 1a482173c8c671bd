"""What leaders and coordinators oversee: the audit log and access reports, data quality,
frequent users.
"""
