//! The SMTP client against the real SMTP sink.

use integrations::email::{Email, MailError, Mailer, SmtpSettings};
use secrecy::SecretString;
use testkit::TestMail;

fn settings(url: &str) -> SmtpSettings {
    SmtpSettings {
        url: SecretString::from(url.to_owned()),
        from: "Marketplace <no-reply@marketplace.test>".to_owned(),
        timeout_ms: 2000,
    }
}

#[tokio::test]
async fn delivers_a_multipart_message() {
    let sink = TestMail::from_env();
    let to = TestMail::unique_address("buyer");
    let mailer = Mailer::new(&settings(sink.smtp_url())).unwrap();
    mailer
        .send(&Email {
            to: to.clone(),
            subject: "환영합니다 — welcome".to_owned(),
            text: "plain body".to_owned(),
            html: "<p>html body</p>".to_owned(),
        })
        .await
        .unwrap();
    let received = sink.messages_to(&to).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["subject"], "환영합니다 — welcome");
    assert_eq!(
        received[0]["from"][0]["address"],
        "no-reply@marketplace.test"
    );
    assert!(received[0]["text"].as_str().unwrap().contains("plain body"));
    assert!(
        received[0]["html"]
            .as_str()
            .unwrap()
            .contains("<p>html body</p>")
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_retryable_send_error() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mailer = Mailer::new(&settings(&format!("smtp://{closed}"))).unwrap();
    let email = Email {
        to: "a@example.com".into(),
        subject: "s".into(),
        text: "t".into(),
        html: "h".into(),
    };
    assert!(matches!(mailer.send(&email).await, Err(MailError::Send(_))));
    assert!(matches!(
        Mailer::new(&settings("smtp://x"))
            .unwrap()
            .send(&Email {
                to: "not an address".into(),
                ..email
            })
            .await,
        Err(MailError::Address(_))
    ));
}

#[tokio::test]
async fn the_benchmark_sink_accepts_each_message_the_mailer_sends() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let sink = testkit::smtp_sink::SmtpSink::start(listener);
    let mailer = Mailer::new(&settings(&format!("smtp://{address}"))).unwrap();
    for n in 0..3 {
        mailer
            .send(&Email {
                to: format!("buyer{n}@example.com"),
                subject: "s".into(),
                text: ".a line that starts with a dot\n.\nand a lone one".into(),
                html: "<p>h</p>".into(),
            })
            .await
            .unwrap();
    }
    assert_eq!(sink.accepted(), 3);
}
