//! A TCP hop that can be cut and restored, to take a dependency away from a
//! running service and give it back.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

pub struct TcpProxy {
    address: SocketAddr,
    up: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<AbortHandle>>>,
    acceptor: AbortHandle,
}

impl TcpProxy {
    /// Forwards a fresh local port to `target`.
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("proxy listener");
        let address = listener.local_addr().expect("proxy address");
        let up = Arc::new(AtomicBool::new(true));
        let connections: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let acceptor = {
            let up = Arc::clone(&up);
            let connections = Arc::clone(&connections);
            tokio::spawn(async move {
                while let Ok((mut inbound, _)) = listener.accept().await {
                    if !up.load(Ordering::SeqCst) {
                        drop(inbound); // Down: the peer sees its connection closed.
                        continue;
                    }
                    let relay = tokio::spawn(async move {
                        if let Ok(mut outbound) = TcpStream::connect(target).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    });
                    connections
                        .lock()
                        .expect("proxy registry")
                        .push(relay.abort_handle());
                }
            })
            .abort_handle()
        };
        Self {
            address,
            up,
            connections,
            acceptor,
        }
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Closes every open connection and refuses new ones until [`restore`](Self::restore).
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for connection in self.connections.lock().expect("proxy registry").drain(..) {
            connection.abort();
        }
    }

    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.cut();
        self.acceptor.abort();
    }
}

/// The `host:port` of a URL such as `postgres://u@127.0.0.1:5432/db`.
pub fn socket_address_of(url: &str) -> SocketAddr {
    let authority = url.split("://").nth(1).expect("URL with a scheme");
    let authority = authority.split(['/', '?']).next().expect("authority");
    let host_port = authority.rsplit('@').next().expect("host");
    host_port
        .replace("localhost", "127.0.0.1")
        .parse()
        .unwrap_or_else(|e| panic!("{host_port} is not an address: {e}"))
}

/// `url` with its `host:port` replaced by `address`.
pub fn redirect_url(url: &str, address: SocketAddr) -> String {
    let original = socket_address_of(url).to_string();
    let (scheme, rest) = url.split_once("://").expect("URL with a scheme");
    let (authority, tail) = rest
        .find(['/', '?'])
        .map_or((rest, ""), |i| rest.split_at(i));
    let authority = authority
        .replace("localhost", "127.0.0.1")
        .replace(&original, &address.to_string());
    format!("{scheme}://{authority}{tail}")
}
