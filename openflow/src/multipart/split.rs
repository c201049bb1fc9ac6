//! Requests over one message: [`MultipartRequest::split`].

use super::*;
use crate::framing::MAX_MESSAGE_LEN;
use crate::header::HEADER_LEN;

impl MultipartRequest {
    /// Splits the request into parts of at most `max_len` bytes each, OpenFlow header
    /// included (`max_len` above [`MAX_MESSAGE_LEN`], 65 535, counts as that): every part is
    /// a whole request of the same type, with [`MultipartFlags::REQ_MORE`] set on all but the
    /// last (the last keeps this request's own flag), to be sent in order with one xid
    /// (spec §7.3.5). A switch joins their bodies into this request's body.
    ///
    /// In OpenFlow 1.3 only a TABLE_FEATURES request has a list for a body
    /// (`ofp_table_features` entries): it is split between entries, never inside one, and
    /// each part holds as many entries as fit. Any other request, and one that fits, comes
    /// back as a single part.
    ///
    /// [`Error::Unencodable`] when a part cannot be made: a table's features longer than fit
    /// in one message of `max_len` bytes, or another request longer than `max_len`.
    ///
    /// ```
    /// use sdnwire_openflow::multipart::{MultipartRequest, MultipartRequestBody};
    /// use sdnwire_openflow::table_features::{TableFeatureProp, TableFeatures};
    /// use sdnwire_openflow::{Encode, TableId};
    ///
    /// // 254 tables that may each go to any table: 83 312 bytes of body.
    /// let tables: Vec<TableFeatures> = (0..254u8)
    ///     .map(|i| {
    ///         let mut t = TableFeatures::new(TableId(i), "table");
    ///         let table_ids = (0..254u8).map(TableId).collect();
    ///         t.properties.push(TableFeatureProp::NextTables { miss: false, table_ids });
    ///         t
    ///     })
    ///     .collect();
    /// let req = MultipartRequest::set_table_features(tables.clone());
    /// assert!(8 + req.encoded_len() > 65535);
    /// let parts: Vec<MultipartRequest> = req.split(65535).unwrap().collect();
    /// assert_eq!(parts.len(), 2);
    /// assert!(parts[0].more() && !parts[1].more());
    /// let joined: Vec<TableFeatures> = parts
    ///     .into_iter()
    ///     .flat_map(|p| match p.body {
    ///         MultipartRequestBody::TableFeatures(t) => t,
    ///         _ => unreachable!(),
    ///     })
    ///     .collect();
    /// assert_eq!(joined, tables);
    /// ```
    pub fn split(&self, max_len: usize) -> Result<SplitRequest<'_>> {
        let room = max_len
            .min(MAX_MESSAGE_LEN)
            .saturating_sub(HEADER_LEN + MULTIPART_HEADER_LEN);
        match &self.body {
            MultipartRequestBody::TableFeatures(tables) => {
                if tables.iter().any(|t| t.encoded_len() > room) {
                    return Err(Error::Unencodable {
                        what: "ofp_table_features",
                        reason: "one table's features do not fit in one message",
                    });
                }
                Ok(SplitRequest {
                    request: self,
                    tables,
                    room,
                    done: false,
                })
            }
            _ if self.body.encoded_len() > room => Err(Error::Unencodable {
                what: "ofp_multipart_request",
                reason: "the body does not fit in one message and is not a list",
            }),
            _ => Ok(SplitRequest {
                request: self,
                tables: &[],
                room,
                done: false,
            }),
        }
    }
}

/// The parts of a request, from [`MultipartRequest::split`]: an iterator of whole requests.
#[derive(Debug, Clone)]
pub struct SplitRequest<'a> {
    request: &'a MultipartRequest,
    /// The table features not yet in a part.
    tables: &'a [TableFeatures],
    /// Bytes of body per part.
    room: usize,
    done: bool,
}

impl Iterator for SplitRequest<'_> {
    type Item = MultipartRequest;

    fn next(&mut self) -> Option<MultipartRequest> {
        if self.done {
            return None;
        }
        let MultipartRequestBody::TableFeatures(_) = self.request.body else {
            self.done = true;
            return Some(self.request.clone());
        };
        // As many entries as fit (split checked that each fits alone).
        let mut used = 0;
        let n = self
            .tables
            .iter()
            .take_while(|t| {
                used += t.encoded_len();
                used <= self.room
            })
            .count()
            .max(1)
            .min(self.tables.len());
        let (part, rest) = self.tables.split_at(n);
        self.tables = rest;
        self.done = rest.is_empty();
        let mut flags = self.request.flags;
        if !self.done {
            flags |= MultipartFlags::REQ_MORE;
        }
        Some(MultipartRequest {
            flags,
            body: MultipartRequestBody::TableFeatures(part.to_vec()),
        })
    }
}

impl core::iter::FusedIterator for SplitRequest<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table_features::TableFeatureProp;
    use crate::{Body, Message};
    use alloc::vec;

    /// `n` tables of about 340 bytes of features each, no two alike.
    fn tables(n: u8) -> Vec<TableFeatures> {
        (0..n)
            .map(|i| {
                let mut t = TableFeatures::new(TableId(i), "t");
                t.properties.push(TableFeatureProp::NextTables {
                    miss: false,
                    table_ids: (0..i).map(TableId).collect(),
                });
                t.properties.push(TableFeatureProp::NextTables {
                    miss: true,
                    table_ids: (i..254).map(TableId).collect(),
                });
                t.max_entries = u32::from(i);
                t
            })
            .collect()
    }

    fn body_bytes(req: &MultipartRequest) -> Vec<u8> {
        crate::Encode::to_vec(req).unwrap()[MULTIPART_HEADER_LEN..].to_vec()
    }

    #[test]
    fn parts_reassemble_the_request() {
        let all = tables(254);
        for flags in [MultipartFlags::EMPTY, MultipartFlags::REQ_MORE] {
            let req = MultipartRequest {
                flags,
                body: MultipartRequestBody::TableFeatures(all.clone()),
            };
            let whole = body_bytes(&req);
            assert!(whole.len() > MAX_MESSAGE_LEN);
            for max_len in [500, 1000, 4096, 20_000, 65_535, 1 << 20] {
                let parts: Vec<MultipartRequest> = req.split(max_len).unwrap().collect();
                let cap = max_len.min(MAX_MESSAGE_LEN);
                assert!(parts.len() >= whole.len().div_ceil(cap - 16), "{max_len}");
                let mut joined = Vec::new();
                let mut tables = Vec::new();
                for (i, p) in parts.iter().enumerate() {
                    let last = i + 1 == parts.len();
                    // REQ_MORE on all but the last, which keeps the request's own flag.
                    assert_eq!(p.more(), !last || flags == MultipartFlags::REQ_MORE);
                    // Each part is a whole message of at most max_len bytes that parses.
                    let bytes =
                        crate::Encode::to_vec(&Message::new(7, Body::MultipartRequest(p.clone())))
                            .unwrap();
                    assert!(bytes.len() <= cap, "{max_len}: {}", bytes.len());
                    let back = Message::parse(&bytes).unwrap();
                    assert_eq!(back.body, Body::MultipartRequest(p.clone()));
                    joined.extend(body_bytes(p));
                    let MultipartRequestBody::TableFeatures(t) = &p.body else {
                        panic!("{p:?}")
                    };
                    assert!(!t.is_empty());
                    // Greedy: the next table would not have fit.
                    if !last {
                        let next = WireWrite::encoded_len(&all[tables.len() + t.len()]);
                        assert!(
                            8 + WireWrite::encoded_len(p) + next > cap,
                            "{max_len} part {i}"
                        );
                    }
                    tables.extend(t.iter().cloned());
                }
                assert_eq!(joined, whole, "{max_len}");
                assert_eq!(tables, all);
            }
        }
    }

    #[test]
    fn what_fits_or_is_no_list_is_one_part() {
        for req in [
            MultipartRequest::table_features(),
            MultipartRequest::set_table_features(tables(3)),
            MultipartRequest::port_stats(1u32),
            MultipartRequest::experimenter(0x2320, 1, vec![1; 1000]),
        ] {
            let parts: Vec<_> = req.split(MAX_MESSAGE_LEN).unwrap().collect();
            assert_eq!(parts, core::slice::from_ref(&req));
        }
        let desc = MultipartRequest::desc();
        let mut it = desc.split(16).unwrap();
        assert_eq!(it.next(), Some(MultipartRequest::desc()));
        assert_eq!(it.next(), None);
        assert_eq!(it.next(), None);
    }

    #[test]
    fn what_cannot_fit_is_an_error() {
        let big = tables(254);
        let largest = big.iter().map(WireWrite::encoded_len).max().unwrap();
        let req = MultipartRequest::set_table_features(big);
        assert!(matches!(
            req.split(16 + largest - 1),
            Err(Error::Unencodable {
                what: "ofp_table_features",
                ..
            })
        ));
        assert!(req.split(16 + largest).is_ok());
        assert!(req.split(0).is_err());
        let exp = MultipartRequest::experimenter(0x2320, 1, vec![0; 70_000]);
        assert!(matches!(
            exp.split(MAX_MESSAGE_LEN),
            Err(Error::Unencodable {
                what: "ofp_multipart_request",
                ..
            })
        ));
        assert!(MultipartRequest::port_stats(1u32).split(16 + 7).is_err());
        assert!(MultipartRequest::port_stats(1u32).split(16 + 8).is_ok());
    }
}
