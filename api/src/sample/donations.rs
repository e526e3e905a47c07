//! Probity (issue 18): the sample group's donations this year: a local
//! business's £750 over the check threshold, received 20 days ago with its
//! permissibility check due in ten days, and a member of the public's £50.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::app::donations;
use crate::domain::donation::{DonationDraft, DonationKind, Donor, DonorKind, Thresholds};
use crate::store::StoreError;

use super::{Loader, note, title};

/// The id of the sample's donation `n`.
pub(super) fn donation_id(n: usize) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("newham-labour/donation/{n}").as_bytes())
}

/// Records the two donations, each received this calendar year.
pub(super) async fn load(loader: &Loader<'_>) -> Result<(), StoreError> {
    let new_year = NaiveDate::from_ymd_opt(loader.today.year(), 1, 1).unwrap_or(loader.today);
    let this_year = |days_ago: i64| loader.day(days_ago).max(new_year);
    let donations = [
        DonationDraft {
            received_on: this_year(20),
            donor: Donor {
                kind: DonorKind::Company,
                name: title("Stratford Print Works Ltd"),
                address: Some(note("Unit 4, Carpenters Road, London E15 2DX")),
                organisation_id: None,
            },
            amount_pence: 75_000,
            kind: DonationKind::Cash,
            description: None,
            notes: Some(note("Towards the group's community newsletter.")),
        },
        DonationDraft {
            received_on: this_year(45),
            donor: Donor {
                kind: DonorKind::Individual,
                name: title("Margaret Okafor"),
                address: None,
                organisation_id: None,
            },
            amount_pence: 5_000,
            kind: DonationKind::Cash,
            description: None,
            notes: None,
        },
    ];
    for (n, draft) in donations.into_iter().enumerate() {
        let rules = (Thresholds::default(), loader.today);
        donations::record(&loader.scope(), (loader.bus, &loader.context), (donation_id(n), draft), rules)
            .await
            .map_err(Loader::failed("donation"))?;
    }
    Ok(())
}
