import { WitnessServiceService } from '@meridian/proto';
import { badGrpcInputSuite } from '@meridian/testing';

badGrpcInputSuite('witness', 'meridian.v1.WitnessService', WitnessServiceService);
