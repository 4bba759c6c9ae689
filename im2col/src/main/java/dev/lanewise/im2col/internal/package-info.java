/** Internal: the unchecked im2col loops, exported only to lanewise's own modules. */
package dev.lanewise.im2col.internal;
