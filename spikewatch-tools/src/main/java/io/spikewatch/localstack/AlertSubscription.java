package io.spikewatch.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A fresh SQS queue subscribed to the alert topic, read the way an alert consumer reads it (raw
 * message delivery: the body is the alert document). A background thread long-polls with a short
 * wait (1 s: fauxqs, like SQS, answers as soon as a message arrives, and a short wait keeps
 * {@link #close()} quick), stamps each message with the time the receive call returned it, hands it
 * to the listener and deletes it. {@link #close()} stops the thread, unsubscribes and deletes the
 * queue.
 *
 * <p>Only standard (non-FIFO) topics: a FIFO topic would need a FIFO queue.
 */
public final class AlertSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertSubscription.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WAIT_SECONDS = 1;

    private final SnsClient sns;
    private final SqsClient sqs;
    private final String topicArn;
    private final String queueUrl;
    private final String subscriptionArn;
    private final Consumer<ReceivedAlert> listener;
    private final Thread receiver;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile boolean running = true;

    private AlertSubscription(SnsClient sns, SqsClient sqs, String topicArn, String queueUrl, String subscriptionArn,
                              Consumer<ReceivedAlert> listener) {
        this.sns = sns;
        this.sqs = sqs;
        this.topicArn = topicArn;
        this.queueUrl = queueUrl;
        this.subscriptionArn = subscriptionArn;
        this.listener = listener;
        this.receiver = new Thread(this::receiveLoop, "alert-subscription-" + queueUrl.substring(queueUrl.lastIndexOf('/') + 1));
        this.receiver.setDaemon(true);
    }

    /**
     * Creates the topic if it is missing (CreateTopic is idempotent), a queue named {@code queueName}
     * and its subscription, and starts receiving.
     *
     * @param topicName the topic's name (the last part of its ARN)
     * @param listener  gets every alert message, on the receiver thread
     */
    public static AlertSubscription create(LocalStack stack, String topicName, String queueName,
                                           Consumer<ReceivedAlert> listener) {
        if (topicName.endsWith(".fifo")) {
            throw new IllegalArgumentException("the SNS topic " + topicName + " is a FIFO topic; the live demo and the "
                    + "latency benchmark subscribe a standard SQS queue, so they need a standard topic");
        }
        SnsClient sns = stack.sns();
        SqsClient sqs = stack.sqs();
        try {
            String topicArn = sns.createTopic(b -> b.name(topicName)).topicArn();
            String queueUrl = sqs.createQueue(b -> b.queueName(queueName)).queueUrl();
            String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String subscription = sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                    .attributes(Map.of("RawMessageDelivery", "true"))).subscriptionArn();
            AlertSubscription s = new AlertSubscription(sns, sqs, topicArn, queueUrl, subscription, listener);
            s.receiver.start();
            return s;
        } catch (RuntimeException e) {
            sns.close();
            sqs.close();
            throw e;
        }
    }

    public String topicArn() {
        return topicArn;
    }

    public String queueUrl() {
        return queueUrl;
    }

    /** Alert messages handed to the listener so far. */
    public long received() {
        return received.get();
    }

    /** Messages that were not a JSON alert document (skipped). */
    public long unreadable() {
        return unreadable.get();
    }

    private void receiveLoop() {
        while (running) {
            try {
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(WAIT_SECONDS)).messages();
                long nanos = System.nanoTime();
                Instant now = Instant.now();
                if (messages.isEmpty()) continue;
                List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
                for (Message m : messages) {
                    deliver(m, nanos, now);
                    done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                            .receiptHandle(m.receiptHandle()).build());
                }
                sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
            } catch (RuntimeException e) {
                if (!running) return;
                LOG.warn("receiving from {} failed, retrying in 1 s: {}", queueUrl, e.toString());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void deliver(Message m, long nanos, Instant at) {
        JsonNode body;
        try {
            body = JSON.readTree(m.body());
        } catch (Exception e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.path("alert").has("id")) {
            unreadable.incrementAndGet();
            return;
        }
        received.incrementAndGet();
        listener.accept(new ReceivedAlert(nanos, at, body, m.body()));
    }

    /** Stops receiving, unsubscribes and deletes the queue (best effort: the topic is left as it was). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        receiver.join((WAIT_SECONDS + 5) * 1000L);
        try {
            sns.unsubscribe(b -> b.subscriptionArn(subscriptionArn));
            sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        } catch (RuntimeException e) {
            LOG.warn("cleaning up the queue {} failed: {}", queueUrl, e.toString());
        } finally {
            sns.close();
            sqs.close();
        }
    }
}
