//! The documents a vendor proves itself with, and what a file may be.

use crate::identity::permissions::{admin, seller};

/// The largest document accepted.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentType {
    /// 사업자등록증.
    BusinessRegistration,
    /// 통장 사본: proves the settlement account.
    Bankbook,
    RepresentativeId,
    /// 통신판매업 신고증.
    MailOrderReport,
}

impl DocumentType {
    pub const ALL: [Self; 4] = [
        Self::BusinessRegistration,
        Self::Bankbook,
        Self::RepresentativeId,
        Self::MailOrderReport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::BusinessRegistration => "business_registration",
            Self::Bankbook => "bankbook",
            Self::RepresentativeId => "representative_id",
            Self::MailOrderReport => "mail_order_report",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }

    /// The vendor permission needed to read the vendor's own documents of
    /// this type: the bank-book goes with the settlement account, the
    /// representative's ID with the owner's own reading of identity papers.
    pub fn vendor_read_permission(self) -> &'static str {
        match self {
            Self::BusinessRegistration | Self::MailOrderReport => seller::PROFILE_MANAGE,
            Self::Bankbook => seller::SETTLEMENT_ACCOUNT_MANAGE,
            Self::RepresentativeId => seller::IDENTITY_DOCUMENTS_READ,
        }
    }

    /// The operations permission needed to read documents of this type.
    pub fn read_permission(self) -> &'static str {
        match self {
            Self::BusinessRegistration => admin::SELLERS_DOCUMENTS_READ_BUSINESS_REGISTRATION,
            Self::Bankbook => admin::SELLERS_DOCUMENTS_READ_BANKBOOK,
            Self::RepresentativeId => admin::SELLERS_DOCUMENTS_READ_REPRESENTATIVE_ID,
            Self::MailOrderReport => admin::SELLERS_DOCUMENTS_READ_MAIL_ORDER_REPORT,
        }
    }
}

/// File kinds accepted for documents, recognised by their first bytes (the
/// name and the declared type are the uploader's word, not evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(Self::Png)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_their_bytes() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(
            FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileKind::Png)
        );
        assert_eq!(FileKind::sniff(b"MZ\x90\0 an executable"), None);
        assert_eq!(FileKind::sniff(b"GIF89a"), None);
        assert_eq!(FileKind::sniff(b""), None);
    }

    #[test]
    fn every_document_type_has_its_own_read_permission() {
        let permissions: std::collections::HashSet<_> = DocumentType::ALL
            .iter()
            .map(|t| t.read_permission())
            .collect();
        assert_eq!(permissions.len(), DocumentType::ALL.len());
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::parse(t.as_str()), Some(t));
        }
    }
}
