/** tern-admin: Tern's admin command line over the remoting protocol. */
package io.tern.cli;
