/** Tern's Vert.x reactive client: producer and consumers over the RocketMQ remoting protocol. */
package io.tern.client;
