//! The transmit queue: frames waiting for [`poll_transmit`](crate::Snooper::poll_transmit),
//! their bytes back to back in one reused buffer, so that queueing a frame allocates nothing
//! once the buffer has grown.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::types::Transmit;

#[derive(Debug, Default)]
pub(crate) struct TxQueue {
    /// Frame bytes; the frames still queued are `bytes[head..]`, in queue order.
    bytes: Vec<u8>,
    head: usize,
    /// Each queued frame and its length.
    meta: VecDeque<(Transmit, usize)>,
}

impl TxQueue {
    pub(crate) fn len(&self) -> usize {
        self.meta.len()
    }

    /// Queues a frame that `write` appends to the buffer it is given (returning its length, or
    /// `None` for no frame).
    pub(crate) fn push_with(
        &mut self,
        t: Transmit,
        write: impl FnOnce(&mut Vec<u8>) -> Option<usize>,
    ) -> bool {
        let at = self.bytes.len();
        match write(&mut self.bytes) {
            Some(len) => {
                self.meta.push_back((t, len));
                true
            }
            None => {
                self.bytes.truncate(at);
                false
            }
        }
    }

    /// Queues a copy of `frame`.
    pub(crate) fn push(&mut self, t: Transmit, frame: &[u8]) {
        self.bytes.extend_from_slice(frame);
        self.meta.push_back((t, frame.len()));
    }

    /// The next frame, copied into `buf` (cleared first).
    pub(crate) fn pop(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        buf.clear();
        let (t, len) = self.meta.pop_front()?;
        let end = self.head.saturating_add(len);
        buf.extend_from_slice(self.bytes.get(self.head..end).unwrap_or(&[]));
        self.head = end;
        if self.meta.is_empty() {
            self.bytes.clear();
            self.head = 0;
        } else if self.head > self.bytes.len() / 2 {
            // A caller that never drains to the end: move what is left to the front.
            self.bytes.drain(..self.head);
            self.head = 0;
        }
        Some(t)
    }
}
