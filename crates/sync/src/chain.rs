//! The per-device hash chain of the sealed format. Each link covers the previous hash, the
//! header and a digest of the ciphertext, never the plaintext: the server checks every chain
//! without a key, and a case whose key was destroyed (and whose ciphertext may be dropped)
//! leaves the chain intact.

use crate::hash::Hash;
use sha2::{Digest, Sha256};

/// Separates this chain's hashes from any other SHA-256 use.
const DOMAIN: &[u8] = b"meldcode/chain/v2\0";

pub fn link(prev: &Hash, header: &[u8], payload_digest: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update(prev.0);
    // Length-prefixed, so that no header can be shifted into the digest.
    h.update((header.len() as u64).to_be_bytes());
    h.update(header);
    h.update(payload_digest.0);
    Hash(h.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_moves_the_hash() {
        let base = link(&Hash::GENESIS, b"{}", &Hash::of(b"c"));
        assert_ne!(base, link(&Hash::of(b"p"), b"{}", &Hash::of(b"c")));
        assert_ne!(base, link(&Hash::GENESIS, b"{ }", &Hash::of(b"c")));
        assert_ne!(base, link(&Hash::GENESIS, b"{}", &Hash::of(b"d")));
        assert_eq!(base, link(&Hash::GENESIS, b"{}", &Hash::of(b"c")));
    }
}
