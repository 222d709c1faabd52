/** Runnable samples, one scenario each. */
package dev.skiff.samples;
