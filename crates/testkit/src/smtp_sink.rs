//! An SMTP server that accepts every message and keeps only a count: the
//! mail relay of load benchmarks. In production the relay runs on other
//! hosts; maildev, the development sink, parses and stores each message,
//! which on a benchmark machine would take CPU the marketplace never pays.
//!
//! It speaks the part of RFC 5321 a submitting client uses: greeting,
//! EHLO/HELO, MAIL, RCPT, DATA (to the line holding a lone dot), RSET,
//! NOOP and QUIT. A message counts once its DATA is acknowledged.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A running sink; dropping it does not stop it (it lives with the runtime).
#[derive(Clone)]
pub struct SmtpSink {
    accepted: Arc<AtomicU64>,
}

impl SmtpSink {
    /// Serves SMTP on `listener` until the runtime stops.
    pub fn start(listener: TcpListener) -> Self {
        let accepted = Arc::new(AtomicU64::new(0));
        let counter = accepted.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, counter.clone()));
            }
        });
        Self { accepted }
    }

    /// Messages whose DATA was acknowledged so far.
    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }
}

async fn session(stream: TcpStream, accepted: Arc<AtomicU64>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut line = Vec::new();
    write.write_all(b"220 smtp-sink ESMTP\r\n").await?;
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let verb = line
            .get(..4)
            .map(<[u8]>::to_ascii_uppercase)
            .unwrap_or_default();
        let reply: &[u8] = match verb.as_slice() {
            b"EHLO" => b"250-smtp-sink\r\n250 8BITMIME\r\n",
            b"HELO" | b"MAIL" | b"RCPT" | b"RSET" | b"NOOP" => b"250 OK\r\n",
            b"DATA" => {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                loop {
                    line.clear();
                    if lines.read_until(b'\n', &mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                }
                accepted.fetch_add(1, Ordering::Relaxed);
                b"250 OK queued\r\n"
            }
            b"QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}
