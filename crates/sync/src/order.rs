//! One order for folding a case's events from several devices, so that every device computes
//! the same case: by hybrid logical clock, then device id, then sequence number. A device's own
//! events keep their order (its clock only moves forward), and events made offline on two
//! devices interleave the same way everywhere.

use crate::header::EventHeader;
use meldcode_engine::envelope::Envelope;
use meldcode_engine::hlc::Hlc;
use meldcode_engine::DeviceId;

pub type FoldKey = (Hlc, DeviceId, u64);

pub fn key_of_header(h: &EventHeader) -> FoldKey {
    (h.hlc, h.device_id, h.seq)
}

pub fn key_of(e: &Envelope) -> FoldKey {
    (e.hlc, e.device_id, e.device_seq)
}

pub fn sort_for_fold(events: &mut [Envelope]) {
    events.sort_by_key(key_of);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::chain_of;

    #[test]
    fn every_arrival_order_folds_the_same() {
        let (mut a, _) = chain_of(3, 1);
        let (b, _) = chain_of(3, 2);
        a.extend(b);
        let mut forward = a.clone();
        let mut backward: Vec<Envelope> = a.into_iter().rev().collect();
        sort_for_fold(&mut forward);
        sort_for_fold(&mut backward);
        assert_eq!(forward, backward);
        let seqs: Vec<u64> = forward
            .iter()
            .filter(|e| e.device_id == crate::testing::device(1))
            .map(|e| e.device_seq)
            .collect();
        assert_eq!(seqs, vec![1, 2, 3]);
    }
}
