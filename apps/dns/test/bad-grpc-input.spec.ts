import { DnsServiceService } from '@meridian/proto';
import { badGrpcInputSuite } from '@meridian/testing';

badGrpcInputSuite('dns', 'meridian.v1.DnsService', DnsServiceService);
