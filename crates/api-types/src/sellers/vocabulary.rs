//! Where a vendor and its application stand, and the documents it uploads.

use crate::kernel::vocabulary::vocabulary;

vocabulary! {
    /// Where a vendor stands.
    SellerStatus {
        Applying = "applying", Approved = "approved", Rejected = "rejected",
        Suspended = "suspended", Closed = "closed",
    }
}

vocabulary! {
    /// Where a vendor's application stands.
    ApplicationStatus {
        Submitted = "submitted", DocumentsRequested = "documents_requested",
        Approved = "approved", Rejected = "rejected",
    }
}

vocabulary! {
    /// A document a vendor's application carries.
    DocumentType {
        BusinessRegistration = "business_registration", Bankbook = "bankbook",
        RepresentativeId = "representative_id", MailOrderReport = "mail_order_report",
    }
}

impl From<domain::sellers::application::ApplicationStatus> for ApplicationStatus {
    fn from(status: domain::sellers::application::ApplicationStatus) -> Self {
        use domain::sellers::application::ApplicationStatus as Domain;
        match status {
            Domain::Submitted => Self::Submitted,
            Domain::DocumentsRequested => Self::DocumentsRequested,
            Domain::Approved => Self::Approved,
            Domain::Rejected => Self::Rejected,
        }
    }
}
