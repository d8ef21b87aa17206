"""The court's 诉调对接 register: referrals, 司法确认, 转立案 and court case numbers."""
